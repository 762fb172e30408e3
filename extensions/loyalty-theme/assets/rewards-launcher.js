// Perennial Rewards launcher. The embed's Liquid renders the button, the dialog and a JSON config
// with every text (from the locales) and the proxy path; this script loads the shopper's data only
// when the dialog opens, and holds no text of its own.
(() => {
  "use strict";
  const root = document.querySelector("[data-prn-launcher]");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const config = JSON.parse(root.querySelector("[data-prn-config]").textContent);
  const T = config.texts;
  const toggle = root.querySelector("[aria-controls]");
  const dialog = root.querySelector("dialog");
  const closer = dialog.querySelector("[data-prn-close]");
  const body = dialog.querySelector("[data-prn-body]");
  const live = dialog.querySelector("[data-prn-status]");
  const lang = config.locale || document.documentElement.lang || undefined;
  const plurals = new Intl.PluralRules(lang);
  let state = null;
  let loading = null;

  // A text with its {placeholders} filled; a count picks the plural form (key_one, key_other).
  const say = (key, values = {}, count) => {
    if (count !== undefined) {
      const form = `${key}_${plurals.select(count)}`;
      key = form in T ? form : `${key}_other`;
      values.points = count.toLocaleString(lang);
    }
    return (T[key] || "").replace(/\{(\w+)\}/g, (match, name) => (name in values ? values[name] : match));
  };
  const money = (amount, currency) => {
    try {
      return Number(amount).toLocaleString(lang, { style: "currency", currency });
    } catch {
      return `${amount} ${currency}`;
    }
  };

  // An element: class names are prefixed, on* props are listeners, others are attributes.
  const h = (tag, props, ...children) => {
    const node = document.createElement(tag);
    if (tag === "button") node.type = "button";
    for (const [name, value] of Object.entries(props || {})) {
      if (name === "class") node.className = `prn-launcher__${value}`;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    node.append(...children.filter((child) => child != null && child !== false));
    return node;
  };
  const muted = (text) => h("p", { class: "muted" }, text);
  const announce = (message, error) => {
    live.textContent = message;
    live.classList.toggle("prn-launcher__error", !!error);
  };

  const api = async (path, init) => {
    const response = await fetch(`${config.api}/${path}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      ...init,
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw { status: response.status, code: data?.error?.code };
    return data;
  };
  const failure = (error) => T.errors[error?.code] || T.errors.generic;

  const tierParts = ({ tier, nextTier: next, expiring }) => {
    const parts = [];
    if (tier) parts.push(h("p", null, say("tier", { tier: tier.name })));
    if (next) {
      const percent = Math.round(Math.min(1, Math.max(0, next.progress || 0)) * 100);
      const label = say("progress_label", { tier: next.name });
      parts.push(
        h(
          "div",
          { class: "progress", role: "progressbar", "aria-label": label, "aria-valuenow": percent },
          h("span", { style: `width:${percent}%` }),
        ),
        muted(
          next.unit === "money"
            ? say("next_tier_money", { amount: money(next.remaining, state.currency), tier: next.name })
            : say("next_tier_points", { tier: next.name }, Number(next.remaining)),
        ),
      );
    }
    if (expiring?.points > 0) {
      const date = new Date(expiring.on).toLocaleDateString(lang, { dateStyle: "long", timeZone: "UTC" });
      parts.push(muted(say("expiring", { date }, expiring.points)));
    }
    return parts;
  };

  const rewardItem = (reward) => {
    const cost = say("points", {}, reward.pointsCost);
    const missing = reward.pointsCost - state.points;
    const affordable = reward.affordable !== false && missing <= 0;
    return h(
      "li",
      { class: "reward" },
      h(
        "div",
        null,
        h("p", { class: "name" }, reward.name),
        muted(cost),
        reward.minimumOrder > 0 && muted(say("minimum", { amount: money(reward.minimumOrder, state.currency) })),
        affordable ? muted(T.affordable) : missing > 0 && muted(say("missing", {}, missing)),
      ),
      affordable &&
        h(
          "button",
          {
            class: "button",
            "aria-label": say("redeem_label", { reward: reward.name, cost }),
            onclick: (event) => redeem(reward, event.currentTarget),
          },
          T.redeem,
        ),
    );
  };

  const render = () => {
    const { code, rewards } = state;
    body.replaceChildren(
      code
        ? h(
            "div",
            { class: "code" },
            h("p", { class: "name" }, say("code_heading", { reward: code.reward })),
            h("p", null, h("code", null, code.code)),
            h("button", { class: "button", onclick: copy }, T.copy),
            muted(T.code_hint),
          )
        : "",
      muted(T.balance_label),
      h("p", { class: "points" }, say("points", {}, state.points)),
      ...tierParts(state.balance),
      h("h3", { class: "subtitle" }, T.rewards_heading),
      rewards.length ? h("ul", { class: "rewards" }, ...rewards.map(rewardItem)) : muted(T.no_rewards),
    );
  };

  const load = () => {
    if (state || loading) return;
    body.replaceChildren(muted(T.loading));
    announce(T.loading);
    loading = Promise.all([api("balance"), api("rewards")])
      .then(([balance, list]) => {
        state = { balance, currency: balance.currencyCode, points: list.pointsBalance, rewards: list.rewards };
        render();
        announce(say("points", {}, state.points));
      })
      .catch((error) => {
        if (error?.code === "notLoggedIn") {
          announce("");
          body.replaceChildren(
            h("p", null, T.guest),
            h(
              "p",
              { class: "links" },
              h("a", { class: "button", href: config.loginUrl }, T.login),
              h("a", { class: "link", href: config.registerUrl }, T.register),
            ),
          );
        } else {
          announce(failure(error), true);
          body.replaceChildren(h("button", { class: "link", onclick: load }, T.retry));
        }
      })
      .finally(() => (loading = null));
  };

  const redeem = async (reward, button) => {
    button.disabled = true;
    announce(say("redeeming", { reward: reward.name }));
    try {
      const result = await api("redeem", { method: "POST", body: JSON.stringify({ rewardId: reward.id }) });
      const name = result.reward?.name || reward.name;
      state.points = result.pointsBalance;
      state.code = { code: result.code, reward: name };
      render();
      body.scrollTop = 0;
      body.querySelector("button").focus();
      announce(say("code_ready", { reward: name, code: result.code }));
    } catch (error) {
      button.disabled = false;
      button.focus();
      announce(failure(error), true);
    }
  };

  async function copy() {
    const code = body.querySelector("code");
    try {
      await navigator.clipboard.writeText(code.textContent);
      announce(T.copied);
    } catch {
      getSelection().selectAllChildren(code);
      announce(T.copy_failed, true);
    }
  }

  const closed = () => {
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  };
  const close = () => dialog.open && (dialog.close(), closed());
  toggle.addEventListener("click", () => {
    if (dialog.open) return close();
    dialog.showModal();
    toggle.setAttribute("aria-expanded", "true");
    closer.focus();
    load();
  });
  closer.addEventListener("click", close);
  // The sheet fills the dialog: a click whose target is the dialog itself hit the backdrop.
  dialog.addEventListener("click", (event) => event.target === dialog && close());
  dialog.addEventListener("close", closed);
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      const nodes = [...dialog.querySelectorAll("a[href],button:not(:disabled)")];
      const edge = event.shiftKey ? nodes[0] : nodes[nodes.length - 1];
      if (document.activeElement === edge) {
        event.preventDefault();
        (event.shiftKey ? nodes[nodes.length - 1] : nodes[0]).focus();
      }
    }
  });
})();
