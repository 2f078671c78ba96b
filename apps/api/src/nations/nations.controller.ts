import { NationsService } from '@app/persistence';
import { Body, Controller, Get, Injectable, NotFoundException, Param, Put, type PipeTransform } from '@nestjs/common';
import { actorAs, isNationCode, type Actor, type NationCode } from '@app/domain';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiRead, ApiWrite } from '../openapi/operations';
import { DirectoryChangeDto } from './dto/directory-change.dto';
import { NationDto } from './dto/nation.dto';
import { UpdateDirectorDto } from './dto/update-director.dto';

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
    if (!isNationCode(code)) throw new NotFoundException(`no nation ${value.slice(0, 10)}; nations are ISO 3166-1 alpha-3 codes of the Allies, e.g. FRA`);
    return code;
  }
}

const CODE = { name: 'code', description: "An Ally's ISO 3166-1 alpha-3 code, any case", schema: { type: 'string', pattern: '^[A-Za-z]{3}$', example: 'FRA' } } as const;

@ApiTags('nations')
@Controller('api/v1/nations')
export class NationsController {
  constructor(private readonly nations: NationsService) {}

  @Get()
  @ApiRead({ summary: 'The Allies with their director contact and language', type: NationDto, isArray: true, description: 'All 32, by code', problems: [] })
  list(): Promise<NationDto[]> {
    return this.nations.list();
  }

  @Put(':code/director')
  @Roles('secretariat')
  @ApiParam(CODE)
  @ApiWrite({
    summary: "Correct a nation's director contact",
    type: NationDto,
    description: 'The nation with its new director contact (the change is recorded with its actor)',
    problems: [400, 401, 403, 404, 413, 429, 503],
  })
  updateDirector(@Param('code', NationCodePipe) code: NationCode, @Body() body: UpdateDirectorDto, @CurrentActor() actor: Actor): Promise<NationDto> {
    return this.nations.updateDirector(code, body, actorAs(actor, 'secretariat')).then(found(code));
  }

  @Get(':code/changes')
  @ApiParam(CODE)
  @ApiRead({
    summary: "The changes of a nation's director contact",
    type: DirectoryChangeDto,
    isArray: true,
    description: "The nation's director contact changes, newest first, with who made each",
    problems: [404],
  })
  changes(@Param('code', NationCodePipe) code: NationCode): Promise<DirectoryChangeDto[]> {
    return this.nations.changes(code).then(found(code));
  }
}
