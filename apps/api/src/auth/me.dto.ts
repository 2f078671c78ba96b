import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor, NationCode, Role, WorkingGroup } from '@app/domain';
import { ENUMS } from '../openapi/schemas';

/** The caller, as the API reads its token. */
export class MeDto implements Actor {
  @ApiProperty({ type: String, description: "The token's subject", example: 'nad-fra' }) id!: string;
  @ApiPropertyOptional({ type: String, example: 'Jeanne Dupont' }) name?: string;
  @ApiProperty({ ...ENUMS.role, isArray: true }) roles!: Role[];
  @ApiPropertyOptional({ ...ENUMS.nation, description: 'The nation the caller acts for, if any' }) nation?: NationCode;
  @ApiProperty({ ...ENUMS.workingGroup, isArray: true, description: 'Working groups a WG member sits in' })
  workingGroups!: WorkingGroup[];
}
