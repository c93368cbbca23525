// Invitations an organization's verified domain sends on its own (enrollmentMode AUTOMATIC_INVITATION) have no inviter.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AutomaticInvitations1733730000000 implements MigrationInterface {
  name = 'AutomaticInvitations1733730000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE invitations ALTER COLUMN invited_by DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM invitations WHERE invited_by IS NULL`);
    await db.query(`ALTER TABLE invitations ALTER COLUMN invited_by SET NOT NULL`);
  }
}
