import { Migration } from '@mikro-orm/migrations';

export class Migration20261126141220_clients_consent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "contact_preference" as enum ('ANY', 'PHONE_ONLY', 'EMAIL_ONLY', 'DO_NOT_CONTACT');`);
    this.addSql(`create type "consent_purpose" as enum ('SERVICE_REFERRAL', 'CARE_COORDINATION');`);
    this.addSql(`create type "consent_method" as enum ('VERBAL', 'WRITTEN', 'ELECTRONIC');`);
    this.addSql(
      `create type "consent_revocation_reason" as enum ('CLIENT_WITHDREW', 'RECORDED_IN_ERROR', 'REPLACED', 'OTHER');`,
    );
    this.addSql(
      `create table "client" ("id" uuid not null, "organization_id" uuid not null, "preferred_name" text not null, "legal_name" text null, "birth_year" smallint null, "pronouns" text null, "languages" text[] not null, "contact_phone" text null, "contact_email" text null, "contact_preference" "contact_preference" not null default 'ANY', "contact_safe_to_leave_message" boolean not null default false, "municipal_id_number" text null, "needs" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "client_pkey" primary key ("id"), constraint client_preferred_name_check check (btrim(preferred_name) <> ''), constraint client_birth_year_check check (birth_year is null or birth_year between 1900 and 2100));`,
    );
    this.addSql(
      `create index "client_organization_id_municipal_id_number_index" on "client" ("organization_id", "municipal_id_number");`,
    );
    this.addSql(
      `create index "client_organization_id_preferred_name_id_index" on "client" ("organization_id", "preferred_name", "id");`,
    );

    this.addSql(
      `create table "consent" ("id" uuid not null, "client_id" uuid not null, "organization_id" uuid not null, "recipient_organization_ids" uuid[] not null, "purpose" "consent_purpose" not null, "data_categories" text[] not null, "method" "consent_method" not null, "language" text not null, "notice_version" text not null, "recorded_by" uuid not null, "given_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" uuid null, "revocation_reason" "consent_revocation_reason" null, "revocation_note" text null, "created_at" timestamptz not null, constraint "consent_pkey" primary key ("id"), constraint consent_revocation_complete_check check ((revoked_at is null) = (revoked_by is null) and (revoked_at is null) = (revocation_reason is null) and (revoked_at is not null or revocation_note is null)), constraint consent_holder_not_recipient_check check (not (organization_id = any(recipient_organization_ids))), constraint consent_refusal_shares_nothing_check check (cardinality(recipient_organization_ids) > 0 or cardinality(data_categories) = 0), constraint consent_expiry_after_given_check check (expires_at > given_at), constraint consent_data_categories_check check (data_categories <@ array['NEEDS','CONTACT','DEMOGRAPHICS','MUNICIPAL_ID','NOTES']::text[]));`,
    );
    this.addSql(`create index "consent_organization_id_index" on "consent" ("organization_id");`);
    this.addSql(
      `create index "consent_recipient_organization_ids_index" on "consent" using gin ("recipient_organization_ids");`,
    );
    this.addSql(`create index "consent_client_id_given_at_id_index" on "consent" ("client_id", "given_at", "id");`);

    this.addSql(
      `create table "outbox_event" ("id" uuid not null, "type" text not null, "organization_ids" uuid[] not null, "aggregate_type" text not null, "aggregate_id" uuid not null, "occurred_at" timestamptz not null default clock_timestamp(), constraint "outbox_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "outbox_event_aggregate_type_aggregate_id_index" on "outbox_event" ("aggregate_type", "aggregate_id");`,
    );
    this.addSql(`create index "outbox_event_occurred_at_id_index" on "outbox_event" ("occurred_at", "id");`);

    this.addSql(
      `alter table "client" add constraint "client_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "consent" add constraint "consent_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "consent" add constraint "consent_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    // A client belongs to the organization that registered it, for good: records never move
    // between organizations (docs/design.md, The client record).
    this.addSql(`create function "client_organization_guard"() returns trigger language plpgsql as $$
      begin
        if new.organization_id is distinct from old.organization_id then
          raise exception 'a client belongs to the organization that registered it and never moves'
            using errcode = 'check_violation', constraint = 'client_organization_immutable';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "client_organization_guard" before update on "client" for each row execute function "client_organization_guard"();`,
    );

    // A consent is held by its client's organization; its terms never change once recorded, and a
    // revocation (the only change) is final. Checked by PostgreSQL so that no code path can widen
    // what a client agreed to.
    this.addSql(`create function "consent_guard"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          if not exists (select 1 from client c where c.id = new.client_id and c.organization_id = new.organization_id) then
            raise exception 'a consent is held by the organization of its client'
              using errcode = 'check_violation', constraint = 'consent_holder_is_client_organization';
          end if;
          return new;
        end if;
        if old.revoked_at is not null then
          raise exception 'a revoked consent is final'
            using errcode = 'check_violation', constraint = 'consent_revocation_final';
        end if;
        if (new.client_id, new.organization_id, new.recipient_organization_ids, new.purpose, new.data_categories, new.method,
            new.language, new.notice_version, new.recorded_by, new.given_at, new.expires_at, new.created_at)
           is distinct from
           (old.client_id, old.organization_id, old.recipient_organization_ids, old.purpose, old.data_categories, old.method,
            old.language, old.notice_version, old.recorded_by, old.given_at, old.expires_at, old.created_at) then
          raise exception 'the terms of a consent never change: revoke it and record a new one'
            using errcode = 'check_violation', constraint = 'consent_terms_immutable';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "consent_guard" before insert or update on "consent" for each row execute function "consent_guard"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "consent_guard" on "consent";`);
    this.addSql(`drop function if exists "consent_guard"();`);
    this.addSql(`drop trigger if exists "client_organization_guard" on "client";`);
    this.addSql(`drop function if exists "client_organization_guard"();`);
    this.addSql(`alter table "consent" drop constraint "consent_client_id_foreign";`);

    this.addSql(`drop table if exists "client" cascade;`);

    this.addSql(`drop table if exists "consent" cascade;`);

    this.addSql(`drop table if exists "outbox_event" cascade;`);

    this.addSql(`drop type "contact_preference";`);
    this.addSql(`drop type "consent_purpose";`);
    this.addSql(`drop type "consent_method";`);
    this.addSql(`drop type "consent_revocation_reason";`);
  }
}
