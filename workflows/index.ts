export { recommendationLifecycle } from './recommendation-lifecycle.workflow';
