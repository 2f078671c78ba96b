import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor, NationCode } from '@app/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiCommand, ApiRead } from '../openapi/operations';
import {
  ApprovalPositionDto,
  CallConsensusDto,
  ConsensusPositionDto,
  ListRecommendationsQuery,
  ProgressDto,
  RaiseRecommendationDto,
  ReasonDto,
  RecommendationQuery,
  ResponseDto,
  ReviseDto,
} from './dto/recommendation.dto';
import { EventDto, NotificationDto, RecommendationPageDto, RevisionDto } from './dto/recommendation-reads.dto';
import { RecommendationDto } from './dto/recommendation-view.dto';
import {
  ApiNationParam,
  ApiReferenceParam,
  ApiRevisionParam,
  IdempotencyKey,
  NationParamPipe,
  ReferenceParamPipe,
  RevisionParamPipe,
} from './params';
import { RecommendationsService } from './recommendations.service';

const REF = 'ref';
const view = RecommendationDto;

@ApiTags('recommendations')
@Controller('api/v1/recommendations')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post()
  @Roles('secretariat')
  @ApiCommand({
    summary: 'Raise a recommendation (starts its workflow)',
    type: view,
    status: 201,
    description: 'The new recommendation, in drafting',
    problems: [400, 401, 403, 413, 422, 429, 503],
  })
  raise(
    @Body() dto: RaiseRecommendationDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.raise(dto, actor, key);
  }

  @Get()
  @ApiRead({
    summary: 'List recommendations, newest first (read model)',
    type: RecommendationPageDto,
    description: 'One page and the total matching the filters',
    problems: [400],
  })
  list(@Query() query: ListRecommendationsQuery): Promise<RecommendationPageDto> {
    return this.recommendations.list(query);
  }

  @Get(':ref')
  @ApiReferenceParam()
  @ApiRead({
    summary: 'The whole recommendation; with asOf, as it stood then',
    type: view,
    description: 'The recommendation',
    problems: [400, 404],
  })
  get(@Param(REF, ReferenceParamPipe) ref: string, @Query() query: RecommendationQuery): Promise<RecommendationDto> {
    return this.recommendations.get(ref, query.asOf);
  }

  @Get(':ref/revisions')
  @ApiReferenceParam()
  @ApiRead({
    summary: 'Every revision of the text, from 1',
    type: RevisionDto,
    isArray: true,
    description: 'The revisions, oldest first',
    problems: [404],
  })
  revisions(@Param(REF, ReferenceParamPipe) ref: string): Promise<RevisionDto[]> {
    return this.recommendations.revisions(ref);
  }

  @Get(':ref/revisions/:n')
  @ApiReferenceParam()
  @ApiRevisionParam()
  @ApiRead({ summary: 'One revision of the text', type: RevisionDto, description: 'The revision', problems: [404] })
  revision(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Param('n', RevisionParamPipe) n: number,
  ): Promise<RevisionDto> {
    return this.recommendations.revision(ref, n);
  }

  @Get(':ref/events')
  @ApiReferenceParam()
  @ApiRead({
    summary: 'The audit trail',
    type: EventDto,
    isArray: true,
    description: 'Every event, oldest first',
    problems: [404],
  })
  events(@Param(REF, ReferenceParamPipe) ref: string): Promise<EventDto[]> {
    return this.recommendations.events(ref);
  }

  @Get(':ref/notifications')
  @ApiReferenceParam()
  @ApiRead({
    summary: 'The messages the process owes or sent (the outbox)',
    type: NotificationDto,
    isArray: true,
    description: 'By due time',
    problems: [404],
  })
  notifications(@Param(REF, ReferenceParamPipe) ref: string): Promise<NotificationDto[]> {
    return this.recommendations.notifications(ref);
  }

  @Post(':ref/revisions')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({ summary: 'New revision of the text (drafting)', type: view })
  revise(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: ReviseDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.revise(ref, dto, actor, key);
  }

  @Post(':ref/consensus')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({ summary: 'Call for WG consensus on the latest revision (silence procedure)', type: view })
  callConsensus(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: CallConsensusDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'call-consensus', ...dto }, actor, key);
  }

  @Post(':ref/consensus/positions')
  @HttpCode(200)
  @Roles('wg-member')
  @ApiReferenceParam()
  @ApiCommand({ summary: "A WG member's position in the consensus round", type: view })
  consensusPosition(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: ConsensusPositionDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(
      ref,
      { type: 'consensus-position', position: dto.position, comment: dto.comment },
      actor,
      key,
    );
  }

  @Post(':ref/approval/positions')
  @HttpCode(200)
  @Roles('senior-rep')
  @ApiReferenceParam()
  @ApiCommand({ summary: "A senior representative's position in the approval round", type: view })
  approvalPosition(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: ApprovalPositionDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(
      ref,
      { type: 'approval-position', position: dto.position, comment: dto.comment },
      actor,
      key,
    );
  }

  @Post(':ref/submission')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({ summary: "Send the approved revision to the target nations' directors", type: view })
  submit(
    @Param(REF, ReferenceParamPipe) ref: string,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'submit' }, actor, key);
  }

  @Post(':ref/nations/:nation/response')
  @HttpCode(200)
  @Roles('director', 'secretariat')
  @ApiReferenceParam()
  @ApiNationParam()
  @ApiCommand({ summary: "A nation's response (its director, or the secretariat on its behalf)", type: view })
  respond(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: ResponseDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'respond', nation, ...dto }, actor, key);
  }

  @Post(':ref/nations/:nation/progress')
  @HttpCode(200)
  @Roles('director', 'secretariat')
  @ApiReferenceParam()
  @ApiNationParam()
  @ApiCommand({
    summary: "A nation's implementation progress (its director, or the secretariat on its behalf)",
    type: view,
  })
  reportProgress(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: ProgressDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'report-progress', nation, ...dto }, actor, key);
  }

  @Post(':ref/withdrawal')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({ summary: 'Withdraw the recommendation (any stage before closed)', type: view })
  withdraw(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: ReasonDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'withdraw', reason: dto.reason }, actor, key);
  }

  @Post(':ref/closure')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiReferenceParam()
  @ApiCommand({ summary: 'Close follow-up early', type: view })
  close(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Body() dto: ReasonDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ): Promise<RecommendationDto> {
    return this.recommendations.command(ref, { type: 'close', reason: dto.reason }, actor, key);
  }
}
