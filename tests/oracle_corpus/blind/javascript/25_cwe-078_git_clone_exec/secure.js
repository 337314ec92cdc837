const { execFile } = require('child_process');
const path = require('path');
const util = require('util');

const execFileAsync = util.promisify(execFile);
const WORKSPACES = '/var/lib/ci/workspaces';

async function cloneRepository(jobId, repoUrl, branch = 'main') {
  const dest = path.join(WORKSPACES, `job-${Number(jobId)}`);
  if (!/^https:\/\/\S+$/.test(repoUrl)) throw new Error('only https repository URLs are allowed');
  await execFileAsync('git', ['clone', '--depth', '1', '--branch', branch, '--', repoUrl, dest], { timeout: 120000 });
  return dest;
}

module.exports = { cloneRepository };
