function renderSubject(template, order) {
  return template.replace(/\$\{order\.([a-zA-Z_]\w*)\}/g, (_, key) =>
    (Object.prototype.hasOwnProperty.call(order, key) ? String(order[key]) : ''));
}

module.exports = { renderSubject };
