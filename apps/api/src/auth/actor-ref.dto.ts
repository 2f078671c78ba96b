import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ActorRef, NationCode, Role } from '@app/domain';
import { ENUMS } from '../openapi/schemas';

/** Who did something, as the audit trail keeps it: the token's subject and the role acted in. */
export class ActorRefDto implements ActorRef {
  @ApiProperty({
    type: String,
    description: "The token's subject (`system` for the process itself)",
    example: 'sec-anna',
  })
  id!: string;

  @ApiPropertyOptional({ type: String, example: 'Anna Secretariat' })
  name?: string;

  @ApiProperty({ ...ENUMS.actorRole, description: 'The role acted in' })
  role!: Role | 'system';

  @ApiPropertyOptional({ ...ENUMS.nation, description: "The caller's own nation, if the token has one" })
  nation?: NationCode;

  @ApiPropertyOptional({ ...ENUMS.nation, description: 'Set when the secretariat acted for a nation' })
  onBehalfOf?: NationCode;
}
