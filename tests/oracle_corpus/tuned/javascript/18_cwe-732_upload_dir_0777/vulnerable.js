const fs = require('fs');
const path = require('path');

const AVATAR_DIR = '/var/app/avatars';

function saveAvatar(userId, buffer) {
  process.umask(0);
  fs.mkdirSync(AVATAR_DIR, { recursive: true, mode: 0o777 });
  const file = path.join(AVATAR_DIR, `${Number(userId)}.png`);
  fs.writeFileSync(file, buffer, { mode: 0o777 });
  return file;
}

module.exports = { saveAvatar };
