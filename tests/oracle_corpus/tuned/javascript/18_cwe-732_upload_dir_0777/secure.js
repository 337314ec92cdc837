const fs = require('fs');
const path = require('path');

const AVATAR_DIR = '/var/app/avatars';

function saveAvatar(userId, buffer) {
  fs.mkdirSync(AVATAR_DIR, { recursive: true, mode: 0o750 });
  const file = path.join(AVATAR_DIR, `${Number(userId)}.png`);
  fs.writeFileSync(file, buffer, { mode: 0o640 });
  return file;
}

module.exports = { saveAvatar };
