const fastify = require('fastify')({ logger: true, bodyLimit: 256 * 1024 });
const yaml = require('js-yaml');

fastify.addContentTypeParser(['application/yaml', 'text/yaml'], { parseAs: 'string' }, (req, body, done) => {
  done(null, body);
});

fastify.post('/pipelines/jobs', async (request, reply) => {
  let spec;
  try {
    spec = yaml.load(request.body, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    return reply.code(400).send({ error: 'invalid YAML' });
  }
  if (!spec || typeof spec.jobs !== 'object' || spec.jobs === null) {
    return reply.code(422).send({ error: 'pipeline must define jobs' });
  }
  return { jobs: Object.keys(spec.jobs) };
});

module.exports = fastify;
