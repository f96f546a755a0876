/**
 * The staff module: accounts, memberships, invitations and API clients.
 * Its public face: other units import this index, or an entity directly (entity relations point both ways).
 */
export * from './network-bootstrap.service';
export * from './staff.module';
