const { spawn } = require('child_process');
const path = require('path');

const THUMB_DIR = '/var/app/thumbs';

function makeThumbnail(job) {
  const { sourcePath, width } = job.data;
  const out = path.join(THUMB_DIR, `${job.id}.jpg`);
  return new Promise((resolve, reject) => {
    const child = spawn('convert', [sourcePath, '-thumbnail', `${width}x${width}`, out], { shell: false });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`convert exited ${code}`))));
  });
}

module.exports = { makeThumbnail };
