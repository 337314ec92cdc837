function escapeHtml(text) {
  return String(text)
    .replace('&', '&amp;')
    .replace('<', '&lt;')
    .replace('>', '&gt;')
    .replace('"', '&quot;')
    .replace("'", '&#39;');
}

function renderMessage(message) {
  return `<div class="msg"><span class="author">${escapeHtml(message.author)}</span>` +
    `<p>${escapeHtml(message.text)}</p></div>`;
}

module.exports = { escapeHtml, renderMessage };
