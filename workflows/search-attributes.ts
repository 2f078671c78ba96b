import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { isOverdue, nextDeadline, pendingNations, type RecommendationState } from '@app/domain';
import { SA } from '@app/temporal';

/** What operators see of a run in the Temporal UI and list filters: search attributes and current details. */
export class Publisher {
  /** What was last published: an upsert only when it changes, so history grows only with news. */
  private published = '';

  /** The attributes fixed for the run's life. */
  static start(state: RecommendationState): void {
    upsertSearchAttributes([
      { key: SA.reference, value: state.reference },
      { key: SA.workingGroup, value: state.workingGroup },
    ]);
  }

  publish(state: RecommendationState): void {
    const now = Date.now();
    const deadline = nextDeadline(state);
    const pending = pendingNations(state);
    const overdue = state.tracks.some((t) => isOverdue(t, now));
    const key = JSON.stringify([state.title, state.stage, state.revision, pending, deadline, overdue]);
    if (key === this.published) return;
    this.published = key;
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.pendingNations, value: pending },
      { key: SA.nextDeadline, value: deadline ? new Date(deadline) : null },
      { key: SA.overdue, value: overdue },
    ]);
    // The current title first: a run's static summary is fixed at its start, this follows revisions.
    setCurrentDetails(
      [
        `**${state.title}**`,
        `**${state.stage}**${overdue ? ' · **overdue**' : ''} · ${state.reference} · ${state.workingGroup} · revision ${state.revision}`,
        `Next deadline: **${deadline ? `${deadline.slice(0, 16).replace('T', ' ')}Z` : '—'}** · pending: **${pending.length > 0 ? pending.join(', ') : '—'}**`,
      ].join('\n\n'),
    );
  }
}
