import { Migration } from '@mikro-orm/migrations';

/**
 * Invitations stand alone: they hold the email, the name typed by the inviter and the roles, and no
 * membership (nor account) exists until the invitee accepts. Memberships keep the name their
 * organization typed. Access tokens carry the account's credential version.
 *
 * Data: every invitation takes its organization, email, name and roles from the membership it
 * pointed to; memberships and accounts that only existed for a pending invitation (an account
 * without a password) are removed, so that acceptance creates them as new.
 */
export class Migration20261205084213_trust_invitations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "staff_account" add column "credential_version" int not null default 0;`);

    this.addSql(`alter table "membership" add column "display_name" text null;`);
    this.addSql(
      `update "membership" m set "display_name" = a."display_name" from "staff_account" a where a."id" = m."account_id";`,
    );
    this.addSql(`alter table "membership" alter column "display_name" set not null;`);

    this.addSql(`alter table "invitation" drop constraint "invitation_membership_id_foreign";`);
    this.addSql(`drop index "invitation_membership_id_index";`);
    this.addSql(
      `alter table "invitation" add column "organization_id" uuid null, add column "email" text null, add column "display_name" text null, add column "roles" text[] null, add column "lead_service_area" "service_area" null, add column "accepted_by" uuid null, add column "revoked_at" timestamptz null;`,
    );
    this
      .addSql(`update "invitation" i set "organization_id" = m."organization_id", "email" = a."email", "display_name" = m."display_name", "roles" = m."roles",
      "lead_service_area" = m."lead_service_area", "accepted_by" = case when i."accepted_at" is not null then a."id" end
      from "membership" m join "staff_account" a on a."id" = m."account_id" where m."id" = i."membership_id";`);
    this.addSql(`delete from "invitation" where "organization_id" is null;`);
    this.addSql(
      `delete from "membership" m using "staff_account" a where a."id" = m."account_id" and a."password_hash" is null;`,
    );
    this.addSql(
      `delete from "staff_account" a where a."password_hash" is null and not exists (select 1 from "membership" m where m."account_id" = a."id");`,
    );
    this.addSql(`alter table "invitation" drop column "membership_id";`);
    this.addSql(
      `alter table "invitation" alter column "organization_id" set not null, alter column "email" set not null, alter column "display_name" set not null, alter column "roles" set not null;`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `create index "invitation_organization_id_created_at_index" on "invitation" ("organization_id", "created_at");`,
    );
    this.addSql(
      `alter table "invitation" add constraint invitation_lead_needs_service_area_check check((lead_service_area is not null) = ('SERVICE_AREA_LEAD' = any(roles)));`,
    );
    this.addSql(
      `alter table "invitation" add constraint invitation_email_normalized_check check(email = lower(btrim(email)));`,
    );
  }

  /** Structure only: invitations cannot point back at memberships that do not exist, so they are dropped. */
  override async down(): Promise<void> {
    this.addSql(`delete from "invitation";`);
    this.addSql(`alter table "invitation" drop constraint "invitation_organization_id_foreign";`);
    this.addSql(`drop index "invitation_organization_id_created_at_index";`);
    this.addSql(`alter table "invitation" drop constraint invitation_lead_needs_service_area_check;`);
    this.addSql(`alter table "invitation" drop constraint invitation_email_normalized_check;`);
    this.addSql(
      `alter table "invitation" drop column "organization_id", drop column "email", drop column "display_name", drop column "roles", drop column "lead_service_area", drop column "accepted_by", drop column "revoked_at";`,
    );
    this.addSql(`alter table "invitation" add column "membership_id" uuid not null;`);
    this.addSql(
      `alter table "invitation" add constraint "invitation_membership_id_foreign" foreign key ("membership_id") references "membership" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "invitation_membership_id_index" on "invitation" ("membership_id");`);
    this.addSql(`alter table "membership" drop column "display_name";`);
    this.addSql(`alter table "staff_account" drop column "credential_version";`);
  }
}
