import { NationsRepository, UnknownNationError, wgDelegateKey } from '@app/persistence';
import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  NotFoundException,
  Param,
  Post,
  Put,
  Req,
  type PipeTransform,
} from '@nestjs/common';
import { actorAs, isNationCode, WORKING_GROUPS, type Actor, type NationCode, type WorkingGroup } from '@app/domain';
import { ApiBody, ApiConsumes, ApiParam, ApiTags, type ApiParamOptions } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiRead, ApiWrite } from '../openapi/operations';
import { ProblemException } from '../problem/problem';
import { IMPORT_COLUMNS, parseDirectoryImport } from './directory-import';
import { DirectoryChangeDto, DirectoryImportDto } from './dto/directory-change.dto';
import { NationDto } from './dto/nation.dto';
import { UpdateContactDto, UpdateDirectorDto } from './dto/update-director.dto';

const found =
  (code: string) =>
  <T>(n: T | null): T => {
    if (!n)
      throw new NotFoundException(`no nation ${code}; nations are ISO 3166-1 alpha-3 codes of the Allies, e.g. FRA`);
    return n;
  };

/** An Ally's code, any case; anything else (too long, NUL, not an Ally) is a 404 before it reaches the database. */
@Injectable()
class NationCodePipe implements PipeTransform<string, NationCode> {
  transform(value: string): NationCode {
    const code = /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : '';
    if (!isNationCode(code))
      throw new NotFoundException(
        `no nation ${value.slice(0, 10)}; nations are ISO 3166-1 alpha-3 codes of the Allies, e.g. FRA`,
      );
    return code;
  }
}

/** A working group's code, any case; anything else is a 404. */
@Injectable()
class WorkingGroupPipe implements PipeTransform<string, WorkingGroup> {
  transform(value: string): WorkingGroup {
    const wg = value.toUpperCase();
    if (!(WORKING_GROUPS as readonly string[]).includes(wg))
      throw new NotFoundException(`no working group ${value.slice(0, 10)}; they are ${WORKING_GROUPS.join(', ')}`);
    return wg as WorkingGroup;
  }
}

const CODE = {
  name: 'code',
  description: "An Ally's ISO 3166-1 alpha-3 code, any case",
  schema: { type: 'string', pattern: '^[A-Za-z]{3}$', example: 'FRA' },
} as const;
const WG = {
  name: 'wg',
  description: 'A working group, any case',
  schema: { type: 'string', enum: [...WORKING_GROUPS], example: 'IC' },
} as const;
/** A correction of one of a nation's contacts, by the secretariat: it answers the nation as it now stands. */
const ContactCorrection = (summary: string, ...params: ApiParamOptions[]) =>
  applyDecorators(
    Roles('secretariat'),
    // Stacked decorators apply bottom-up: the same order here keeps the document's parameters in `params` order.
    ...params.map((p) => ApiParam(p)).reverse(),
    ApiWrite({
      summary,
      type: NationDto,
      description:
        'The nation with its new contact (the change is recorded with its actor; links sent to a replaced address stop working)',
      problems: [400, 401, 403, 404, 413, 429, 503],
    }),
  );

@ApiTags('nations')
@Controller('api/v1/nations')
export class NationsController {
  constructor(private readonly nations: NationsRepository) {}

  @Get()
  @ApiRead({
    summary: 'The Allies with their contacts (director, senior representative, WG delegates) and language',
    type: NationDto,
    isArray: true,
    description: 'All 32, by code',
    problems: [],
  })
  list(): Promise<NationDto[]> {
    return this.nations.list();
  }

  @Put(':code/director')
  @ContactCorrection("Correct a nation's director contact", CODE)
  updateDirector(
    @Param('code', NationCodePipe) code: NationCode,
    @Body() body: UpdateDirectorDto,
    @CurrentActor() actor: Actor,
  ): Promise<NationDto> {
    return this.nations.updateDirector(code, body, actorAs(actor, 'secretariat')).then(found(code));
  }

  @Put(':code/senior-rep')
  @ContactCorrection("Correct a nation's senior national representative", CODE)
  updateSeniorRep(
    @Param('code', NationCodePipe) code: NationCode,
    @Body() body: UpdateContactDto,
    @CurrentActor() actor: Actor,
  ): Promise<NationDto> {
    return this.nations.updateContact(code, 'senior-rep', body, actorAs(actor, 'secretariat')).then(found(code));
  }

  @Put(':code/wg-delegates/:wg')
  @ContactCorrection("Correct a nation's delegate in a working group", CODE, WG)
  updateWgDelegate(
    @Param('code', NationCodePipe) code: NationCode,
    @Param('wg', WorkingGroupPipe) wg: WorkingGroup,
    @Body() body: UpdateContactDto,
    @CurrentActor() actor: Actor,
  ): Promise<NationDto> {
    return this.nations.updateContact(code, wgDelegateKey(wg), body, actorAs(actor, 'secretariat')).then(found(code));
  }

  @Post('directory/import')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiConsumes('text/csv')
  @ApiBody({
    description: `CSV (RFC 4180, UTF-8) with the header \`${IMPORT_COLUMNS.join(',')}\`; contact is director, senior-rep or wg-delegate (with its working group); language only on director lines. Every line is checked; one bad line refuses the whole import (400, each problem named by line), else every line is applied and recorded, in one transaction.`,
    schema: {
      type: 'string',
      example: `${IMPORT_COLUMNS.join(',')}\nFRA,director,,Jeanne Dupont,nad@defense.gouv.fr,adjoint@defense.gouv.fr,fr\nFRA,wg-delegate,IC,Jean Martin,jean.martin@defense.gouv.fr,,\n`,
    },
  })
  @ApiWrite({
    summary: 'Load contacts from CSV, all or nothing',
    type: DirectoryImportDto,
    description: 'How many lines changed a contact and how many confirmed one',
    problems: [400, 401, 403, 413, 415, 429, 503],
  })
  async importDirectory(@Req() req: Request, @CurrentActor() actor: Actor): Promise<DirectoryImportDto> {
    if (!req.is('text/csv') || typeof req.body !== 'string')
      throw new ProblemException(415, 'send the directory as Content-Type: text/csv');
    const parsed = parseDirectoryImport(req.body);
    if (!parsed.ok)
      throw new ProblemException(
        400,
        `the import was refused, nothing was changed: ${parsed.errors.length} problem(s)`,
        { errors: parsed.errors },
      );
    try {
      return await this.nations.importContacts(parsed.rows, actorAs(actor, 'secretariat'));
    } catch (err) {
      if (err instanceof UnknownNationError)
        throw new ProblemException(400, `the import was refused, nothing was changed: ${err.message}`);
      throw err;
    }
  }

  @Get(':code/changes')
  @ApiParam(CODE)
  @ApiRead({
    summary: "The changes of a nation's contacts",
    type: DirectoryChangeDto,
    isArray: true,
    description:
      "The nation's contact changes (director, senior representative, WG delegates), newest first, with who made each",
    problems: [404],
  })
  changes(@Param('code', NationCodePipe) code: NationCode): Promise<DirectoryChangeDto[]> {
    return this.nations.changes(code).then(found(code));
  }
}
