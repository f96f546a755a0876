/** The GraphQL kit: the error vocabulary, pagination, input validation, abuse limits and per-request state shared by every module. */
export * from './errors/domain-error';
export * from './errors/format-error';
export * from './errors/loggable-error';
export * from './errors/raw-input';
export * from './limits/abuse-limits';
export * from './limits/introspection-gate';
export * from './limits/rate-limiter';
export * from './limits/trusted-documents';
export * from './pagination/connection';
export * from './pagination/cursor';
export * from './request/per-request';
export * from './request/read-batcher';
export * from './schema/root-descriptions';
export * from './validation/input-helpers';
export * from './validation/input-safety';
export * from './validation/update-input';
export * from './validation/validation.pipe';
