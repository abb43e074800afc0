// One per device (端末認証): register this device's passkey for the campaign. The node sends the
// creation options (base64url fields) and checks the answer; this only carries them between the
// node and navigator.credentials.create. A failure goes back to the page with its error code.
(function () {
  "use strict";
  var button = document.getElementById("passkey-start");
  if (!button) return;

  function bytes(text) {
    var plain = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(plain.length);
    for (var i = 0; i < plain.length; i++) out[i] = plain.charCodeAt(i);
    return out.buffer;
  }

  function text(buffer) {
    var view = new Uint8Array(buffer), plain = "";
    for (var i = 0; i < view.length; i++) plain += String.fromCharCode(view[i]);
    return btoa(plain).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": button.dataset.csrf },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (payload) {
        if (!response.ok) throw new Error((payload.error && payload.error.code) || "eligibility.passkey_failed");
        return payload;
      });
    });
  }

  function failed(code) {
    var code_ = /^eligibility\.[a-z_]+$/.test(code) ? code : "eligibility.passkey_failed";
    window.location.assign(window.location.pathname + "?error=" + code_);
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    post(button.dataset.options).then(function (options) {
      options.challenge = bytes(options.challenge);
      options.user.id = bytes(options.user.id);
      (options.excludeCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post(button.dataset.register, {
        id: credential.id,
        rawId: text(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment,
        clientExtensionResults: credential.getClientExtensionResults(),
        response: {
          clientDataJSON: text(response.clientDataJSON),
          attestationObject: text(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : []
        }
      });
    }).then(function (answer) {
      window.location.assign(answer.next);
    }).catch(function (error) {
      // A device holding one of the campaign's passkeys refuses to make another.
      failed(error && error.name === "InvalidStateError" ? "eligibility.subject_taken" : error && error.message);
    });
  });
})();
