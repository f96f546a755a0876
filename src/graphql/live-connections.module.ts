import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveConnections } from './live-connections';

/** The graphql-ws connections: authenticated, capped and rechecked (live-connections.ts). */
@Module({
  imports: [AuthModule],
  providers: [LiveConnections],
  exports: [LiveConnections],
})
export class LiveConnectionsModule {}
