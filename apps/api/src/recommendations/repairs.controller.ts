import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor, NationCode } from '@app/domain';
import type { RebuildReport } from '@app/persistence';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { MoveDeadlineDto, RebuildProjectionDto, ResendNotificationDto } from './dto/repair.dto';
import { IdempotencyKey, NationParamPipe, ReferenceParamPipe } from './params';
import { RecommendationsService } from './recommendations.service';

/** Operators' repairs: commands recorded in the audit trail with their actor, never table edits. */
@ApiTags('repairs')
@ApiBearerAuth()
@Controller('api/v1')
export class RepairsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post('recommendations/:ref/nations/:nation/deadline')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiParam({ name: 'ref', example: 'DIPB-2026-0001' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: "Move one nation's due date; its reminders follow (event deadline-moved)" })
  moveDeadline(
    @Param('ref', ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: MoveDeadlineDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.recommendations.command(ref, { type: 'move-deadline', nation, dueAt: dto.dueAt, reason: dto.reason }, actor, key);
  }

  @Post('recommendations/:ref/notifications/resend')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiParam({ name: 'ref', example: 'DIPB-2026-0001' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOperation({ summary: 'Send a notification again, to the address the directory has now (event notification-resent)' })
  resend(@Param('ref', ReferenceParamPipe) ref: string, @Body() dto: ResendNotificationDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.resend(ref, dto.identity, dto.reason, actor, key);
  }

  @Post('admin/projection/rebuild')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Re-derive the read model from the event log and compare (and with write, restore)' })
  rebuild(@Body() dto: RebuildProjectionDto): Promise<RebuildReport> {
    return this.recommendations.rebuildProjection(dto.reference, dto.write ?? false);
  }
}
