// The "Print" button of the printable page (no inline scripts under the content security policy).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
