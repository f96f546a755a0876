import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ErasureModule } from '../modules/erasure';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [AuthModule, ErasureModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class SeedModule {}
