// Cookie banner: reopen it from the footer link without leaving the page (the link still works without JS).
document.addEventListener("click", (event) => {
  const link = event.target.closest("#cookie-settings-link");
  const banner = document.getElementById("cookie-banner");
  if (!link || !banner) {
    return;
  }
  event.preventDefault();
  banner.hidden = false;
  banner.scrollIntoView({ block: "end" });
  const first = banner.querySelector("input:not([disabled]), button");
  if (first) {
    first.focus();
  }
});
