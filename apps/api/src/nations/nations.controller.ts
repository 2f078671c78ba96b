import { NationsService, type NationRecord } from '@app/persistence';
import { Body, Controller, Get, Injectable, NotFoundException, Param, Put, type PipeTransform } from '@nestjs/common';
import { isNationCode, type NationCode } from '@app/domain';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { NationDto } from './dto/nation.dto';
import { UpdateDirectorDto } from './dto/update-director.dto';

const found =
  (code: string) =>
  (n: NationRecord | null): NationRecord => {
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

@ApiTags('nations')
@ApiBearerAuth()
@Controller('api/v1/nations')
export class NationsController {
  constructor(private readonly nations: NationsService) {}

  @Get()
  @ApiOkResponse({ type: NationDto, isArray: true, description: 'The Allies with their director contact and language' })
  list(): Promise<NationRecord[]> {
    return this.nations.list();
  }

  @Put(':code/director')
  @Roles('secretariat')
  @ApiOkResponse({ type: NationDto, description: 'The nation with its new director contact' })
  @ApiNotFoundResponse({ description: 'Unknown nation code' })
  updateDirector(@Param('code', NationCodePipe) code: NationCode, @Body() body: UpdateDirectorDto): Promise<NationRecord> {
    return this.nations.updateDirector(code, body).then(found(code));
  }
}
