const http = require('http');
const { enqueue } = require('./queue');

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  try {
    const event = JSON.parse((await readBody(req)).toString('utf8'));
    await enqueue(event);
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"queued":true}');
  } catch (err) {
    res.writeHead(err.status || 400).end();
  }
});

server.listen(Number(process.env.PORT) || 8081);
