export function showWelcomeBanner() {
  const params = new URLSearchParams(window.location.search);
  const name = params.get('name');
  if (!name) {
    return;
  }
  const banner = document.getElementById('welcome');
  const strong = document.createElement('strong');
  strong.innerHTML = name;
  banner.append('Welcome back, ', strong, '!');
  banner.hidden = false;
}

document.addEventListener('DOMContentLoaded', showWelcomeBanner);
