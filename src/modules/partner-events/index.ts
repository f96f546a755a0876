/**
 * The partner-events module: the change feed of the events partners are told about.
 * Its public face: other units import this index.
 */
export * from './partner-events.module';
