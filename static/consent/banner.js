// Cookie banner: reopen it from the footer link without leaving the page (the link still works without JS),
// honour Global Privacy Control, and remove what refused tools left behind on every domain and path.
(function () {
  const script = document.currentScript;
  const config = script ? script.dataset : {};

  // 1. The cookies of refused tools (real name patterns; "*" stands for the suffix a tool adds), expired on
  //    the host, on every parent domain (Google Analytics sets its cookies on the registrable domain) and on
  //    "/" and every folder of this page's path. The server already expired the host-only ones it saw.
  const patterns = (config.refused || "").split(" ").filter(Boolean);
  const matches = (name) =>
    patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
  const hostParts = location.hostname.split(".");
  const domains = [""];
  if (!/^[0-9.]+$/.test(location.hostname) && hostParts.length > 1) {
    for (let i = 0; i < hostParts.length - 1; i += 1) {
      domains.push("; domain=." + hostParts.slice(i).join("."));
    }
  }
  const paths = ["/"];
  const folders = location.pathname.split("/").filter(Boolean);
  for (let i = 1; i <= folders.length; i += 1) {
    const folder = "/" + folders.slice(0, i).join("/");
    paths.push(folder, folder + "/");
  }
  const expire = () => {
    document.cookie
      .split(";")
      .map((part) => part.split("=")[0].trim())
      .filter((name) => name && matches(name))
      .forEach((name) => {
        domains.forEach((domain) => {
          paths.forEach((path) => {
            document.cookie = name + "=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; path=" + path + domain;
          });
        });
      });
  };
  expire();

  // 2. Global Privacy Control: with no choice made yet, the browser's signal is recorded as the choice
  //    (nothing that needs consent runs). A choice made in the banner afterwards wins.
  const form = document.getElementById("cookie-form");
  const gpc = config.gpc === "1" || navigator.globalPrivacyControl === true;
  if (gpc && config.asked !== "1" && form) {
    const data = new FormData(form);
    data.delete("tools");
    data.set("action", "gpc");
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", redirect: "manual" }).then(
      () => {
        const banner = document.getElementById("cookie-banner");
        if (banner && !document.getElementById("cookie-gpc")) {
          const note = document.createElement("p");
          note.id = "cookie-gpc";
          note.className = "cookie-gpc";
          note.setAttribute("role", "status");
          note.textContent = banner.dataset.gpcText || "";
          form.prepend(note);
        }
      },
      () => {},
    );
  }
})();

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
