import { Migration } from '@mikro-orm/migrations';

export class Migration20261126134442_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "audit_actor_kind" as enum ('STAFF', 'API_CLIENT', 'ANONYMOUS', 'SYSTEM');`);
    this.addSql(`create type "audit_category" as enum ('CREATE', 'READ', 'UPDATE', 'DELETE', 'EXECUTE', 'LOGIN');`);
    this.addSql(`create type "audit_outcome" as enum ('SUCCESS', 'DENIED', 'ERROR');`);
    this.addSql(
      `create table "audit_anonymous_budget" ("source_address" text not null, "window_started_at" timestamptz not null, "recorded" int not null, constraint "audit_anonymous_budget_pkey" primary key ("source_address"));`,
    );

    this.addSql(
      `create table "audit_chain_head" ("chain_id" text not null, "seq" bigint not null, "hash" text not null, constraint "audit_chain_head_pkey" primary key ("chain_id"));`,
    );

    this.addSql(
      `create table "audit_event" ("chain_id" text not null, "seq" bigint not null, "recorded_at" timestamptz not null, "actor_kind" "audit_actor_kind" not null, "actor_id" uuid null, "actor_organization_id" uuid null, "actor_roles" text[] not null, "action" text not null, "category" "audit_category" not null, "entity_type" text null, "entity_id" text null, "subject_client_id" uuid null, "purpose" text null, "outcome" "audit_outcome" not null, "request_id" text null, "source_address" text null, "details" jsonb not null, "prev_hash" text not null, "hash" text not null, constraint "audit_event_pkey" primary key ("chain_id", "seq"));`,
    );
    this.addSql(`create index "audit_event_subject_client_id_index" on "audit_event" ("subject_client_id");`);
    this.addSql(`create index "audit_event_chain_id_recorded_at_index" on "audit_event" ("chain_id", "recorded_at");`);

    // Append-only, enforced by PostgreSQL (docs/design.md, invariant 4). The runtime role may only
    // read and append events, and it owns nothing, so it cannot disable the triggers below; the
    // triggers refuse UPDATE, DELETE and TRUNCATE for everyone else too.
    this.addSql(`revoke all on table "audit_event" from harbour_app;`);
    this.addSql(`grant select, insert on table "audit_event" to harbour_app;`);
    this.addSql(`revoke all on table "audit_chain_head" from harbour_app;`);
    this.addSql(`grant select, insert, update on table "audit_chain_head" to harbour_app;`);
    this.addSql(`create function "audit_event_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege', hint = 'Audit events can be read and appended, never changed or removed.';
      end $$;`);
    this.addSql(
      `create trigger "audit_event_no_update_or_delete" before update or delete on "audit_event" for each row execute function "audit_event_append_only"();`,
    );
    this.addSql(
      `create trigger "audit_event_no_truncate" before truncate on "audit_event" for each statement execute function "audit_event_append_only"();`,
    );
    this.addSql(`insert into "audit_chain_head" ("chain_id", "seq", "hash") values ('network', 0, repeat('0', 64));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_no_truncate" on "audit_event";`);
    this.addSql(`drop trigger if exists "audit_event_no_update_or_delete" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_append_only"();`);
    this.addSql(`drop table if exists "audit_anonymous_budget" cascade;`);

    this.addSql(`drop table if exists "audit_chain_head" cascade;`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop type "audit_actor_kind";`);
    this.addSql(`drop type "audit_category";`);
    this.addSql(`drop type "audit_outcome";`);
  }
}
