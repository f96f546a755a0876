/**
 * The training module: training modules, staff acknowledgements and coverage counts. The gate
 * itself is the permission guard's (`@ReturnsClientData`), fed by the actor loader.
 */
export * from './staff-training.module';
