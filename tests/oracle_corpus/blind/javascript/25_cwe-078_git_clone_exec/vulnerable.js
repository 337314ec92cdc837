const { exec } = require('child_process');
const path = require('path');
const util = require('util');

const execAsync = util.promisify(exec);
const WORKSPACES = '/var/lib/ci/workspaces';

async function cloneRepository(jobId, repoUrl, branch = 'main') {
  const dest = path.join(WORKSPACES, `job-${Number(jobId)}`);
  await execAsync(`git clone --depth 1 --branch ${branch} ${repoUrl} ${dest}`, { timeout: 120000 });
  return dest;
}

module.exports = { cloneRepository };
