import { db } from './db.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export async function createInviteCode(workspaceId, createdBy) {
  let code = '';
  for (let i = 0; i < 12; i += 1) {
    code += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  }
  await db.query(
    'INSERT INTO invites (code, workspace_id, created_by, expires_at) VALUES ($1, $2, $3, $4)',
    [code, workspaceId, createdBy, new Date(Date.now() + WEEK_MS)],
  );
  return code;
}
