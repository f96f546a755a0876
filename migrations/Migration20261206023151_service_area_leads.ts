import { Migration } from '@mikro-orm/migrations';

/**
 * At most one active SERVICE_AREA_LEAD per service area. A database that already has two active
 * leads for one area is refused with a message saying what to do, rather than fixed here: which
 * lead stays is a network administrator's decision, and role changes are audited (setStaffRoles).
 */
export class Migration20261206023151_service_area_leads extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
      declare duplicated text;
      begin
        select string_agg(distinct lead_service_area::text, ', ') into duplicated
          from (select lead_service_area from membership where active and lead_service_area is not null
                group by lead_service_area having count(*) > 1) as d;
        if duplicated is not null then
          raise exception 'Service areas with more than one active lead: %. Withdraw all but one with setStaffRoles, then migrate again.', duplicated;
        end if;
      end $$;`);
    this.addSql(
      `create unique index "membership_one_active_lead_per_area" on "membership" ("lead_service_area") where "active" and "lead_service_area" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "membership_one_active_lead_per_area";`);
  }
}
