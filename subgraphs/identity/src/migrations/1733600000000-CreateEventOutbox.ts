// The event outbox: what identity tells organizations about users (an address verified), relayed after commit.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventOutboxTable } from '@orgapi/shared';

export class CreateEventOutbox1733600000000 implements MigrationInterface {
  name = 'CreateEventOutbox1733600000000';

  async up(db: QueryRunner): Promise<void> {
    await createEventOutboxTable(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE event_outbox');
  }
}
