import { Migration } from '@mikro-orm/migrations';

export class Migration20261205170449_outbox_feed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_relay_position" ("name" text not null, "tx_id" xid8 null, "position" bigint null, "updated_at" timestamptz not null default clock_timestamp(), constraint "outbox_relay_position_pkey" primary key ("name"));`,
    );

    this.addSql(
      `alter table "outbox_event" add column "acting_organization_id" uuid null, add column "data" jsonb not null default '{}', add column "tx_id" xid8 not null default pg_current_xact_id(), add column "position" bigserial;`,
    );
    this.addSql(`create index "outbox_event_feed_index" on "outbox_event" ("tx_id", "position");`);
    // The relay starts after the events already written: they were never promised to anyone (the change feed still has them).
    this.addSql(
      `insert into "outbox_relay_position" ("name", "tx_id", "position") select 'relay', e.tx_id, e.position from (select null) seed left join lateral (select tx_id, position from "outbox_event" order by tx_id desc, position desc limit 1) e on true;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_relay_position" cascade;`);

    this.addSql(`drop index "outbox_event_feed_index";`);
    this.addSql(
      `alter table "outbox_event" drop column "acting_organization_id", drop column "data", drop column "tx_id", drop column "position";`,
    );
  }
}
