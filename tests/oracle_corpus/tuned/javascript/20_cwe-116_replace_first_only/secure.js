function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function renderMessage(message) {
  return `<div class="msg"><span class="author">${escapeHtml(message.author)}</span>` +
    `<p>${escapeHtml(message.text)}</p></div>`;
}

module.exports = { escapeHtml, renderMessage };
