import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints, their deliveries and the attempts of each. The runtime role gets the default
 * privileges (select, insert, update, delete: deliveries are claimed, recorded and purged), except
 * that an attempt, once recorded, is history: it may be read, inserted and purged, never changed.
 * API clients may hold the new scope `webhooks:write`.
 */
export class Migration20261205180840_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "webhook_disabled_reason" as enum ('GONE', 'FAILING', 'ADMIN');`);
    this.addSql(`create type "webhook_delivery_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(
      `create type "webhook_attempt_error" as enum ('URL_REFUSED', 'ADDRESS_REFUSED', 'DNS', 'TIMEOUT', 'CONNECTION', 'TLS', 'PROTOCOL', 'HTTP_3XX', 'HTTP_4XX', 'HTTP_410', 'HTTP_5XX');`,
    );
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "organization_id" uuid not null, "url" text not null, "description" text null, "event_types" text[] not null, "enabled" boolean not null default true, "disabled_reason" "webhook_disabled_reason" null, "disabled_at" timestamptz null, "failing_since" timestamptz null, "last_success_at" timestamptz null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhook_endpoint_pkey" primary key ("id"), constraint webhook_endpoint_previous_secret_check check ((previous_secret_sealed is null) = (previous_secret_expires_at is null)), constraint webhook_endpoint_disabled_check check (enabled = (disabled_reason is null) and (disabled_reason is null) = (disabled_at is null)), constraint webhook_endpoint_event_types_check check (event_types <@ array['referral.sent','referral.received','referral.accepted','referral.declined','referral.started','referral.held','referral.resumed','referral.completed','referral.closed_unmet','referral.cancelled','referral.note_added','consent.revoked']::text[]));`,
    );
    this.addSql(
      `create index "webhook_endpoint_organization_id_created_at_id_index" on "webhook_endpoint" ("organization_id", "created_at", "id");`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "endpoint_id" uuid not null, "event_id" uuid not null, "event_type" text not null, "body" text not null, "status" "webhook_delivery_status" not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz null, "locked_until" timestamptz null, "created_at" timestamptz not null, "last_attempt_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"), constraint webhook_delivery_attempts_check check (attempts >= 0), constraint webhook_delivery_pending_check check ((status = 'PENDING') = (next_attempt_at is not null)));`,
    );
    this.addSql(
      `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`,
    );
    this.addSql(`create index "webhook_delivery_created_at_index" on "webhook_delivery" ("created_at");`);
    this.addSql(
      `create index "webhook_delivery_endpoint_id_created_at_id_index" on "webhook_delivery" ("endpoint_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_event_id_unique" unique ("endpoint_id", "event_id");`,
    );

    this.addSql(
      `create table "webhook_delivery_attempt" ("id" uuid not null, "delivery_id" uuid not null, "at" timestamptz not null, "http_status" int null, "duration_ms" int not null, "error_class" "webhook_attempt_error" null, constraint "webhook_delivery_attempt_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_delivery_attempt_delivery_id_at_index" on "webhook_delivery_attempt" ("delivery_id", "at");`,
    );

    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_delivery_attempt" add constraint "webhook_delivery_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`revoke update, truncate on table "webhook_delivery_attempt" from harbour_app;`);

    this.addSql(`alter table "api_client" drop constraint api_client_scopes_check;`);

    this.addSql(
      `alter table "api_client" add constraint api_client_scopes_check check(scopes <@ array['directory:write','clients:read','clients:write','consents:write','referrals:read','referrals:write','audit:read','webhooks:write']::text[]);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);

    this.addSql(
      `alter table "webhook_delivery_attempt" drop constraint "webhook_delivery_attempt_delivery_id_foreign";`,
    );

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery_attempt" cascade;`);

    this.addSql(`update "api_client" set "scopes" = array_remove("scopes", 'webhooks:write');`);
    this.addSql(`alter table "api_client" drop constraint api_client_scopes_check;`);

    this.addSql(
      `alter table "api_client" add constraint api_client_scopes_check check(scopes <@ array['directory:write','clients:read','clients:write','consents:write','referrals:read','referrals:write','audit:read']::text[]);`,
    );

    this.addSql(`drop type "webhook_disabled_reason";`);
    this.addSql(`drop type "webhook_delivery_status";`);
    this.addSql(`drop type "webhook_attempt_error";`);
  }
}
