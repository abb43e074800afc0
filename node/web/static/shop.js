// The shop's card form: Stripe.js Elements take the card (never our server), give a payment
// method id, and the form posts only that id. The confirm page runs 3-D Secure, then returns.
(function () {
  "use strict";
  var form = document.getElementById("pay-form");
  var confirmBox = document.getElementById("confirm-3ds");
  var root = form || confirmBox;
  if (!root || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(root.dataset.key);

  function showError(box) {
    box.hidden = false;
    if (form) { form.dataset.state = "ready"; }
  }

  async function methodId(card) {
    // Stripe.js gives a PaymentMethod (pm_...). localstripe's stand-in returns nothing from
    // createPaymentMethod, so there the card's token gives its card id (card_...) instead.
    var made = await stripe.createPaymentMethod({ type: "card", card: card });
    if (made && made.paymentMethod) { return made.paymentMethod.id; }
    if (made && made.error) { return null; }
    var token = await stripe.createToken(card);
    return token && token.token && token.token.card ? token.token.card.id : null;
  }

  if (form) {
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    form.dataset.state = "ready";
    form.addEventListener("submit", async function (event) {
      if (form.dataset.method) { return; }
      event.preventDefault();
      if (form.dataset.state === "busy") { return; }
      form.dataset.state = "busy";
      var id = await methodId(card).catch(function () { return null; });
      if (!id) { showError(document.getElementById("card-error")); return; }
      form.dataset.method = id;
      form.elements.payment_method.value = id;
      form.submit();
    });
  }

  if (confirmBox) {
    document.getElementById("confirm-go").addEventListener("click", async function () {
      await stripe.confirmCardPayment(confirmBox.dataset.secret).catch(function () { return null; });
      window.location.assign(confirmBox.dataset.returnUrl);
    });
  }
})();
