import { Migration } from '@mikro-orm/migrations';

export class Migration20261206050639_training extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "training_module" ("id" uuid not null, "service_area" "service_area" null, "title" text not null, "summary" text not null, "url" text not null, "version" int not null default 1, "published_at" timestamptz not null, "published_by_id" uuid not null, "created_at" timestamptz not null, constraint "training_module_pkey" primary key ("id"), constraint training_module_url_check check (url like 'https://%'), constraint training_module_version_check check (version >= 1));`,
    );
    this.addSql(`create index "training_module_service_area_index" on "training_module" ("service_area");`);

    this.addSql(
      `create table "training_acknowledgement" ("id" uuid not null, "account_id" uuid not null, "module_id" uuid not null, "version" int not null, "acknowledged_at" timestamptz not null, constraint "training_acknowledgement_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "training_acknowledgement" add constraint "training_acknowledgement_account_id_module_id_version_unique" unique ("account_id", "module_id", "version");`,
    );

    this.addSql(
      `alter table "training_module" add constraint "training_module_published_by_id_foreign" foreign key ("published_by_id") references "staff_account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "training_acknowledgement" add constraint "training_acknowledgement_account_id_foreign" foreign key ("account_id") references "staff_account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "training_acknowledgement" add constraint "training_acknowledgement_module_id_foreign" foreign key ("module_id") references "training_module" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "api_client" add column "operators_training_attested_by" uuid null, add column "operators_training_attested_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "training_acknowledgement" drop constraint "training_acknowledgement_module_id_foreign";`);

    this.addSql(`drop table if exists "training_module" cascade;`);

    this.addSql(`drop table if exists "training_acknowledgement" cascade;`);

    this.addSql(
      `alter table "api_client" drop column "operators_training_attested_by", drop column "operators_training_attested_at";`,
    );
  }
}
