import { Migration } from '@mikro-orm/migrations';

export class Migration20261126130845_initial extends Migration {
  override async up(): Promise<void> {
    // Two roles (README "Database roles"): migrations run as the schema owner; the runtime role
    // harbour_app owns nothing and gets data privileges on what the owner creates, nothing more.
    this.addSql(`grant usage on schema public to harbour_app;`);
    this.addSql(
      `alter default privileges in schema public grant select, insert, update, delete on tables to harbour_app;`,
    );
    this.addSql(`alter default privileges in schema public grant usage, select on sequences to harbour_app;`);
    this.addSql(`grant select on table "mikro_orm_migrations" to harbour_app;`);

    this.addSql(`create type "organization_kind" as enum ('CITY_DEPARTMENT', 'COMMUNITY_ORGANIZATION');`);
    this.addSql(`create type "location_kind" as enum ('PHYSICAL', 'VIRTUAL');`);
    this.addSql(
      `create type "service_area" as enum ('HEALTH', 'SHELTER', 'HOUSING', 'FOOD', 'LEGAL', 'EDUCATION', 'EMPLOYMENT', 'LIBRARY', 'COMMUNITY_CENTRE', 'RECREATION', 'SETTLEMENT', 'MENTAL_HEALTH', 'VICTIM_SERVICES', 'CHILD_AND_FAMILY', 'INCOME_SUPPORT');`,
    );
    this.addSql(`create type "service_status" as enum ('ACTIVE', 'TEMPORARILY_CLOSED', 'INACTIVE');`);
    this.addSql(`create type "capacity_signal" as enum ('AVAILABLE', 'WAITLIST', 'FULL');`);
    this.addSql(
      `create table "login_throttle" ("key" text not null, "failures" int not null default 0, "window_started_at" timestamptz not null, "locked_until" timestamptz null, constraint "login_throttle_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "organization" ("id" uuid not null, "name" text not null, "alternate_name" text null, "description" text not null, "kind" "organization_kind" not null, "email" text null, "website" text null, "phone" text null, "service_areas" text[] not null, "is_network_operator" boolean not null default false, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "organization_pkey" primary key ("id"), constraint organization_service_areas_check check (service_areas <@ enum_range(null::service_area)::text[]));`,
    );
    this.addSql(`alter table "organization" add constraint "organization_name_unique" unique ("name");`);
    this.addSql(
      `create unique index "organization_single_network_operator" on "organization" ("is_network_operator") where "is_network_operator";`,
    );

    this.addSql(
      `create table "location" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "kind" "location_kind" not null, "description" text null, "address_line1" text null, "address_line2" text null, "city" text null, "region" text null, "postal_code" text null, "latitude" double precision null, "longitude" double precision null, "url" text null, "confidential" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "location_pkey" primary key ("id"), constraint location_coordinates_check check ((latitude is null) = (longitude is null) and (latitude is null or latitude between -90 and 90) and (longitude is null or longitude between -180 and 180)));`,
    );
    this.addSql(`create index "location_organization_id_index" on "location" ("organization_id");`);

    this.addSql(
      `create table "api_client" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "key_prefix" text not null, "key_hash" text not null, "scopes" text[] not null, "created_by" uuid not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_client_pkey" primary key ("id"), constraint api_client_scopes_check check (scopes <@ array['directory:write','clients:read','clients:write','consents:write','referrals:read','referrals:write','audit:read']::text[]));`,
    );
    this.addSql(`create index "api_client_organization_id_index" on "api_client" ("organization_id");`);
    this.addSql(`alter table "api_client" add constraint "api_client_key_prefix_unique" unique ("key_prefix");`);

    this.addSql(
      `create table "service" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "alternate_name" text null, "description" text not null, "url" text null, "email" text null, "service_area" "service_area" not null, "languages" text[] not null, "eligibility_description" text null, "minimum_age" smallint null, "maximum_age" smallint null, "status" "service_status" not null default 'ACTIVE', "accepts_referrals" boolean not null default true, "capacity" "capacity_signal" not null default 'AVAILABLE', "assured_at" timestamptz null, "application_process" text null, "fees_description" text null, "schedules" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "service_pkey" primary key ("id"), constraint service_age_bounds_check check ((minimum_age is null or minimum_age between 0 and 130) and (maximum_age is null or maximum_age between 0 and 130) and (minimum_age is null or maximum_age is null or minimum_age <= maximum_age)));`,
    );
    this.addSql(`create index "service_organization_id_index" on "service" ("organization_id");`);

    this.addSql(
      `create table "service_at_location" ("service_id" uuid not null, "location_id" uuid not null, constraint "service_at_location_pkey" primary key ("service_id", "location_id"));`,
    );

    this.addSql(
      `create table "staff_account" ("id" uuid not null, "email" text not null, "display_name" text not null, "password_hash" text null, "password_changed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "staff_account_pkey" primary key ("id"), constraint staff_account_email_normalized_check check (email = lower(btrim(email))));`,
    );
    this.addSql(`alter table "staff_account" add constraint "staff_account_email_unique" unique ("email");`);

    this.addSql(
      `create table "membership" ("id" uuid not null, "account_id" uuid not null, "organization_id" uuid not null, "roles" text[] not null, "lead_service_area" "service_area" null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "membership_pkey" primary key ("id"), constraint membership_lead_needs_service_area_check check ((lead_service_area is not null) = ('SERVICE_AREA_LEAD' = any(roles))), constraint membership_roles_check check (roles <@ array['NETWORK_ADMIN','ORG_ADMIN','CASEWORKER','INTAKE','AUDITOR','SERVICE_AREA_LEAD']::text[]));`,
    );
    this.addSql(`create index "membership_organization_id_index" on "membership" ("organization_id");`);
    this.addSql(
      `alter table "membership" add constraint "membership_account_id_organization_id_unique" unique ("account_id", "organization_id");`,
    );

    this.addSql(
      `create table "invitation" ("id" uuid not null, "membership_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "created_by" uuid not null, "created_at" timestamptz not null, constraint "invitation_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "invitation_membership_id_index" on "invitation" ("membership_id");`);
    this.addSql(`alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `alter table "location" add constraint "location_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "api_client" add constraint "api_client_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "service" add constraint "service_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "service_at_location" add constraint "service_at_location_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "service_at_location" add constraint "service_at_location_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_account_id_foreign" foreign key ("account_id") references "staff_account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "invitation" add constraint "invitation_membership_id_foreign" foreign key ("membership_id") references "membership" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`create index "service_at_location_location_id_index" on "service_at_location" ("location_id");`);

    // Network roles exist only in the network operator's organization, and the operator never changes.
    this.addSql(`create function "membership_network_roles_guard"() returns trigger language plpgsql as $$
      begin
        if new.roles && array['NETWORK_ADMIN','SERVICE_AREA_LEAD']::text[]
           and not exists (select 1 from organization o where o.id = new.organization_id and o.is_network_operator) then
          raise exception 'network roles (NETWORK_ADMIN, SERVICE_AREA_LEAD) exist only in the network operator''s organization'
            using errcode = 'check_violation', constraint = 'membership_network_roles_operator_only';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "membership_network_roles_guard" before insert or update on "membership" for each row execute function "membership_network_roles_guard"();`,
    );
    this.addSql(`create function "organization_operator_flag_guard"() returns trigger language plpgsql as $$
      begin
        if new.is_network_operator is distinct from old.is_network_operator then
          raise exception 'the network operator is fixed at bootstrap and cannot change'
            using errcode = 'check_violation', constraint = 'organization_operator_flag_immutable';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "organization_operator_flag_guard" before update on "organization" for each row execute function "organization_operator_flag_guard"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "organization_operator_flag_guard" on "organization";`);
    this.addSql(`drop function if exists "organization_operator_flag_guard"();`);
    this.addSql(`drop trigger if exists "membership_network_roles_guard" on "membership";`);
    this.addSql(`drop function if exists "membership_network_roles_guard"();`);
    this.addSql(`alter table "location" drop constraint "location_organization_id_foreign";`);

    this.addSql(`alter table "api_client" drop constraint "api_client_organization_id_foreign";`);

    this.addSql(`alter table "service" drop constraint "service_organization_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_organization_id_foreign";`);

    this.addSql(`alter table "service_at_location" drop constraint "service_at_location_location_id_foreign";`);

    this.addSql(`alter table "service_at_location" drop constraint "service_at_location_service_id_foreign";`);

    this.addSql(`alter table "membership" drop constraint "membership_account_id_foreign";`);

    this.addSql(`alter table "invitation" drop constraint "invitation_membership_id_foreign";`);

    this.addSql(`drop table if exists "login_throttle" cascade;`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "location" cascade;`);

    this.addSql(`drop table if exists "api_client" cascade;`);

    this.addSql(`drop table if exists "service" cascade;`);

    this.addSql(`drop table if exists "service_at_location" cascade;`);

    this.addSql(`drop table if exists "staff_account" cascade;`);

    this.addSql(`drop table if exists "membership" cascade;`);

    this.addSql(`drop table if exists "invitation" cascade;`);

    this.addSql(`drop type "organization_kind";`);
    this.addSql(`drop type "location_kind";`);
    this.addSql(`drop type "service_area";`);
    this.addSql(`drop type "service_status";`);
    this.addSql(`drop type "capacity_signal";`);
  }
}
