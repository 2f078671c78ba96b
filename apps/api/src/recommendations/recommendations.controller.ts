import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor, NationCode } from '@app/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
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
import { IdempotencyKey, NationParamPipe, ReferenceParamPipe, RevisionParamPipe } from './params';
import { RecommendationsService } from './recommendations.service';

const REF = 'ref';

@ApiTags('recommendations')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried command safe: the same key gives the same answer' })
@ApiParam({ name: REF, required: false, example: 'DIPB-2026-0001' })
@Controller('api/v1/recommendations')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post()
  @Roles('secretariat')
  @ApiOperation({ summary: 'Raise a recommendation (starts its workflow)' })
  raise(@Body() dto: RaiseRecommendationDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.raise(dto, actor, key);
  }

  @Get()
  @ApiOperation({ summary: 'List recommendations (read model)' })
  list(@Query() query: ListRecommendationsQuery) {
    return this.recommendations.list(query);
  }

  @Get(':ref')
  @ApiOperation({ summary: 'The whole recommendation; with asOf, as it stood then' })
  get(@Param(REF, ReferenceParamPipe) ref: string, @Query() query: RecommendationQuery) {
    return this.recommendations.get(ref, query.asOf);
  }

  @Get(':ref/revisions')
  revisions(@Param(REF, ReferenceParamPipe) ref: string) {
    return this.recommendations.revisions(ref);
  }

  @Get(':ref/revisions/:n')
  revision(@Param(REF, ReferenceParamPipe) ref: string, @Param('n', RevisionParamPipe) n: number) {
    return this.recommendations.revision(ref, n);
  }

  @Get(':ref/events')
  events(@Param(REF, ReferenceParamPipe) ref: string) {
    return this.recommendations.events(ref);
  }

  @Get(':ref/notifications')
  notifications(@Param(REF, ReferenceParamPipe) ref: string) {
    return this.recommendations.notifications(ref);
  }

  @Post(':ref/revisions')
  @HttpCode(200)
  @Roles('secretariat')
  revise(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: ReviseDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.revise(ref, dto, actor, key);
  }

  @Post(':ref/consensus')
  @HttpCode(200)
  @Roles('secretariat')
  callConsensus(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: CallConsensusDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'call-consensus', ...dto }, actor, key);
  }

  @Post(':ref/consensus/positions')
  @HttpCode(200)
  @Roles('wg-member')
  consensusPosition(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: ConsensusPositionDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'consensus-position', position: dto.position, comment: dto.comment }, actor, key);
  }

  @Post(':ref/approval/positions')
  @HttpCode(200)
  @Roles('senior-rep')
  approvalPosition(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: ApprovalPositionDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'approval-position', position: dto.position, comment: dto.comment }, actor, key);
  }

  @Post(':ref/submission')
  @HttpCode(200)
  @Roles('secretariat')
  submit(@Param(REF, ReferenceParamPipe) ref: string, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'submit' }, actor, key);
  }

  @Post(':ref/nations/:nation/response')
  @HttpCode(200)
  @Roles('director', 'secretariat')
  respond(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: ResponseDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.recommendations.command(ref, { type: 'respond', nation, ...dto }, actor, key);
  }

  @Post(':ref/nations/:nation/progress')
  @HttpCode(200)
  @Roles('director', 'secretariat')
  reportProgress(
    @Param(REF, ReferenceParamPipe) ref: string,
    @Param('nation', NationParamPipe) nation: NationCode,
    @Body() dto: ProgressDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() key?: string,
  ) {
    return this.recommendations.command(ref, { type: 'report-progress', nation, ...dto }, actor, key);
  }

  @Post(':ref/withdrawal')
  @HttpCode(200)
  @Roles('secretariat')
  withdraw(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'withdraw', reason: dto.reason }, actor, key);
  }

  @Post(':ref/closure')
  @HttpCode(200)
  @Roles('secretariat')
  close(@Param(REF, ReferenceParamPipe) ref: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor, @IdempotencyKey() key?: string) {
    return this.recommendations.command(ref, { type: 'close', reason: dto.reason }, actor, key);
  }
}
