const vm = require('vm');

function renderSubject(template, order) {
  return vm.runInNewContext('`' + template + '`', { order });
}

module.exports = { renderSubject };
