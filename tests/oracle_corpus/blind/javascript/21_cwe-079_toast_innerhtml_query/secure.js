export function showToastFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const message = params.get('msg');
  if (!message) return;
  const toast = document.createElement('div');
  toast.className = 'toast toast-info';
  toast.setAttribute('role', 'status');
  toast.textContent = message;
  document.body.appendChild(toast);
  setTimeout(() => toast.remove(), 5000);
}

document.addEventListener('DOMContentLoaded', showToastFromUrl);
