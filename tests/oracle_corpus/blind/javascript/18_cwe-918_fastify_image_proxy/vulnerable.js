import Fastify from 'fastify';

const app = Fastify();
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const RASTER_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

app.get('/image-proxy', async (request, reply) => {
  const target = String(request.query.url || '');
  const upstream = await fetch(target, { signal: AbortSignal.timeout(5000) });
  if (!upstream.ok) return reply.code(502).send({ error: 'upstream error' });
  const type = (upstream.headers.get('content-type') || '').split(';')[0].trim();
  if (!RASTER_TYPES.has(type)) return reply.code(415).send({ error: 'not an image' });
  if (Number(upstream.headers.get('content-length') || 0) > MAX_IMAGE_BYTES) {
    return reply.code(413).send({ error: 'image too large' });
  }
  const body = Buffer.from(await upstream.arrayBuffer());
  if (body.length > MAX_IMAGE_BYTES) return reply.code(413).send({ error: 'image too large' });
  return reply.type(type).send(body);
});

export default app;
