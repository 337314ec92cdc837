const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function createInviteCode(length = 12) {
  let code = '';
  for (let i = 0; i < length; i += 1) {
    code += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  }
  return code;
}

async function inviteMember(db, teamId, email) {
  const code = createInviteCode();
  await db.invites.insert({ teamId, email, code, expiresAt: Date.now() + 7 * 24 * 3600 * 1000 });
  return code;
}

module.exports = { createInviteCode, inviteMember };
