import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { ApiRead } from '../openapi/operations';
import { CurrentActor } from './auth.decorators';
import { MeDto } from './me.dto';

/** Who the API takes the caller to be: for a client checking its token (and the cheapest authenticated route). */
@ApiTags('auth')
@Controller('api/v1/me')
export class MeController {
  @Get()
  @ApiRead({
    summary: 'The caller as the API reads its token',
    type: MeDto,
    description: 'Subject, name, roles, nation and working groups of the token sent',
    problems: [401, 429],
  })
  me(@CurrentActor() actor: Actor): MeDto {
    return {
      id: actor.id,
      ...(actor.name ? { name: actor.name } : {}),
      roles: actor.roles,
      ...(actor.nation ? { nation: actor.nation } : {}),
      workingGroups: actor.workingGroups ?? [],
    };
  }
}
