import { NationsService, type NationRecord } from '@app/persistence';
import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
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
  updateDirector(@Param('code') code: string, @Body() body: UpdateDirectorDto): Promise<NationRecord> {
    return this.nations.updateDirector(code.toUpperCase(), body).then(found(code));
  }
}
