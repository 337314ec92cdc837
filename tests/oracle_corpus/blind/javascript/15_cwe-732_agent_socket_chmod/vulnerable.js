const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const SOCKET_PATH = path.join(os.homedir(), '.acme', 'agent.sock');
const MAX_LINE = 64 * 1024;

function startAgentServer(handleCommand) {
  fs.mkdirSync(path.dirname(SOCKET_PATH), { recursive: true });
  if (fs.existsSync(SOCKET_PATH)) fs.unlinkSync(SOCKET_PATH);
  const server = net.createServer((conn) => {
    conn.setEncoding('utf8');
    let buffer = '';
    conn.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE) return conn.destroy();
      let idx;
      while ((idx = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 1);
        Promise.resolve()
          .then(() => handleCommand(JSON.parse(line)))
          .then((result) => conn.write(`${JSON.stringify({ ok: true, result })}\n`))
          .catch((err) => conn.write(`${JSON.stringify({ ok: false, error: err.message })}\n`));
      }
    });
  });
  server.listen(SOCKET_PATH, () => {
    fs.chmodSync(SOCKET_PATH, 0o777);
  });
  return server;
}

module.exports = { startAgentServer };
