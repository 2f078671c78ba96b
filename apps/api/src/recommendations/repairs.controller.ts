import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor, NationCode } from '@app/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommand, ApiWrite } from '../openapi/operations';
import { RecommendationDto } from './dto/recommendation-view.dto';
import { MoveDeadlineDto, RebuildProjectionDto, RebuildReportDto, ResendNotificationDto } from './dto/repair.dto';
import { ApiNationParam, ApiReferenceParam, IdempotencyKey, NationParamPipe, ReferenceParamPipe } from './params';
import { RecommendationsService } from './recommendations.service';

/** Operators' repairs: commands recorded in the audit trail with their actor, never table edits. */
@ApiTags('repairs')
@Controller('api/v1')
export class RepairsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post('recommendations/:ref/nations/:nation/deadline')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiNationParam()
  @ApiCommand({
    summary: "Move one nation's due date; its reminders follow (event deadline-moved)",
    type: RecommendationDto,
  })
  moveDeadline(
    @Param('ref', ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: MoveDeadlineDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(
      ref,
      { type: 'move-deadline', nation, dueAt: dto.dueAt, reason: dto.reason },
      actor,
      key,
    );
  }

  @Post('recommendations/:ref/notifications/resend')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({
    summary: 'Send a notification again, to the address the directory has now (event notification-resent)',
    type: RecommendationDto,
  })
  resend(
    @Param('ref', ReferenceParamPipe) ref: string,
    @Body() dto: ResendNotificationDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.resend(ref, dto.identity, dto.reason, actor, key);
  }

  @Post('admin/projection/rebuild')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiWrite({
    summary: 'Re-derive the read model from the event log and compare (and with write, restore)',
    type: RebuildReportDto,
    description: 'What was compared, what differed, what was rewritten',
    problems: [400, 401, 403, 404, 413, 429, 503],
  })
  rebuild(@Body() dto: RebuildProjectionDto): Promise<RebuildReportDto> {
    return this.recommendations.rebuildProjection(dto.reference, dto.write ?? false);
  }
}
