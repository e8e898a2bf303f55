// TherapyBridge dashboard: the few behaviours htmx does not cover.
// - messages in the alert region (#flash), from "flash" events and failed requests
// - showing and hiding the transcript's edit forms
// - the upload: drag and drop, and a real progress bar (XMLHttpRequest upload events)
// - signing out an idle screen, and keeping a busy one signed in
(function () {
  "use strict";

  const body = document.body;
  const csrfToken = body.dataset.csrfToken || "";

  function flash(message, level) {
    const region = document.getElementById("flash");
    if (!region) return;
    const note = document.createElement("p");
    note.className = "flash flash-" + (level || "info");
    if (level === "error") note.setAttribute("role", "alert");
    note.textContent = message;
    region.replaceChildren(note);
  }

  document.addEventListener("flash", function (event) {
    flash(event.detail && event.detail.message ? event.detail.message : "Done.", "success");
  });

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    if (status >= 500) flash("Something went wrong on the server (" + status + "). Try again.", "error");
  });

  document.addEventListener("htmx:sendError", function () {
    flash("The server cannot be reached. Check the connection and try again.", "error");
  });

  // The live stream ends with "signed-out" when the session is over: show the sign-in page.
  document.addEventListener("htmx:sseClose", function (event) {
    if (event.detail && event.detail.type === "message") window.location.reload();
  });

  // Transcript segments: "Edit" shows the form in place of the text, "Cancel" hides it.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-toggle-form]");
    if (!button) return;
    const form = document.getElementById(button.dataset.toggleForm);
    if (!form) return;
    const opening = form.hidden;
    form.hidden = !opening;
    const view = form.parentElement.querySelector(".segment-view");
    if (view) view.hidden = opening;
    const editButton = form.parentElement.querySelector(".segment-view [data-toggle-form]");
    if (editButton) editButton.setAttribute("aria-expanded", String(opening));
    if (opening) {
      const textarea = form.querySelector("textarea");
      if (textarea) textarea.focus();
    } else if (editButton) {
      editButton.focus();
    }
  });

  // A draft field in conflict with the corrected transcript: "Use this" puts the suggested
  // text in the field; saving the draft then settles it (unsaved, it changes nothing).
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-use-suggestion]");
    if (!button) return;
    const field = document.getElementById(button.dataset.useSuggestion);
    const suggestion = button.closest(".conflict").querySelector(".suggestion");
    if (!field || !suggestion) return;
    field.value = suggestion.textContent;
    field.focus();
  });

  // Upload: the file itself is the request body, so the progress bar tracks real bytes.
  function setUpUpload() {
    const form = document.getElementById("upload-form");
    if (!form) return;
    const input = document.getElementById("upload-file");
    const zone = document.getElementById("drop-zone");
    const progress = document.getElementById("upload-progress");
    const bar = document.getElementById("upload-bar");
    const percent = document.getElementById("upload-percent");
    const fileName = document.getElementById("upload-file-name");
    const error = document.getElementById("upload-error");
    const maxBytes = Number(form.dataset.maxBytes);

    function showError(message) {
      error.textContent = message;
      error.hidden = false;
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        zone.classList.add("has-file");
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      const file = input.files[0];
      if (!file) return showError("Choose an audio file first.");
      if (file.size > maxBytes) {
        return showError("This file is larger than the upload limit of " + Math.round(maxBytes / 1048576) + " MB.");
      }
      const params = new URLSearchParams({ patient_id: form.elements.patient_id.value });
      if (form.elements.session_date.value) params.set("session_date", form.elements.session_date.value);

      const request = new XMLHttpRequest();
      request.open("POST", "/upload/audio?" + params.toString());
      request.setRequestHeader("X-CSRFToken", csrfToken);
      request.setRequestHeader("HX-Request", "true");
      request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      request.upload.addEventListener("progress", function (progressEvent) {
        if (!progressEvent.lengthComputable) return;
        const value = Math.round((progressEvent.loaded / progressEvent.total) * 100);
        bar.value = value;
        bar.textContent = value + "%";
        percent.textContent = value + "%";
      });
      request.addEventListener("load", function () {
        form.querySelector("button[type=submit]").disabled = false;
        const redirect = request.getResponseHeader("HX-Redirect");
        if (redirect) return window.location.assign(redirect);
        if (request.status >= 200 && request.status < 300) {
          progress.hidden = true;
          const holder = document.getElementById("pipelines");
          holder.insertAdjacentHTML("afterbegin", request.responseText);
          const card = holder.firstElementChild;
          window.htmx.process(card);
          // Events sent while the answer travelled were not heard: fetch the state now.
          window.htmx.trigger(card, "sse:resync");
          form.reset();
          zone.classList.remove("has-file");
          return;
        }
        const answer = new DOMParser().parseFromString(request.responseText, "text/html");
        showError(answer.body.textContent.trim() || "The upload failed (" + request.status + ").");
      });
      request.addEventListener("error", function () {
        form.querySelector("button[type=submit]").disabled = false;
        showError("The upload failed: the server cannot be reached.");
      });
      fileName.textContent = file.name;
      bar.value = 0;
      percent.textContent = "0%";
      progress.hidden = false;
      form.querySelector("button[type=submit]").disabled = true;
      request.send(file);
    });
  }

  // Idle sign-out: the server ends a session after a while without activity; the screen
  // follows, so no record stays visible on an unattended computer. Typing or pointing counts
  // as activity and is reported (at most once a minute) so a long edit is not interrupted.
  function setUpIdleWatch() {
    const idleSeconds = Number(body.dataset.idleSeconds);
    if (!idleSeconds) return;
    let idleTimer = null;
    let lastReport = Date.now();

    function restartTimer() {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(function () {
        window.location.reload();
      }, (idleSeconds + 5) * 1000);
    }

    function activity() {
      restartTimer();
      if (Date.now() - lastReport < 60000) return;
      lastReport = Date.now();
      fetch("/session/keepalive", {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
    }

    ["keydown", "pointerdown", "input"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    restartTimer();
  }

  setUpUpload();
  setUpIdleWatch();
})();
