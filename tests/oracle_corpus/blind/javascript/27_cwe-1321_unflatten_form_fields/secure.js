const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function setPath(target, name, value) {
  const keys = name.replace(/\]/g, '').split(/[.[]/).filter(Boolean);
  if (keys.length === 0 || keys.some((k) => FORBIDDEN_KEYS.has(k))) return;
  let node = target;
  for (let i = 0; i < keys.length - 1; i += 1) {
    const key = keys[i];
    if (typeof node[key] !== 'object' || node[key] === null) {
      node[key] = {};
    }
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

function unflattenFields(fields) {
  const result = {};
  for (const [name, value] of Object.entries(fields)) {
    setPath(result, name, value);
  }
  return result;
}

// app.post('/settings', express.urlencoded({ extended: false }), (req, res) => save(unflattenFields(req.body)));
module.exports = { unflattenFields };
