// Interim start page: asks the shell for the overview and fills the tables.
"use strict";

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function row(...cells) {
  const tr = document.createElement("tr");
  cells.forEach((c) => tr.appendChild(c));
  return tr;
}

async function load() {
  const invoke = window.__TAURI__ && window.__TAURI__.core && window.__TAURI__.core.invoke;
  if (!invoke) return;
  try {
    const p = await invoke("panoramica");
    document.getElementById("versione").textContent = "versione " + p.versione;
    document.getElementById("database").textContent = p.database;
    document.getElementById("ente").textContent = p.ente
      ? p.ente.ente.denominazione + " (" + p.ente.ente.codice_ipa + ") · " + p.ente.tipi_dovuto.length + " tipi dovuto"
      : "Nessun profilo dell'Ente: caricalo con «mypay-desk ente set <file.toml>».";
    const stati = document.querySelector("#stati tbody");
    if (p.dovuti_per_stato.length === 0) stati.appendChild(row(cell("Nessun dovuto"), cell(""), cell("")));
    p.dovuti_per_stato.forEach((s) => stati.appendChild(row(cell(s.etichetta), cell(s.numero.toLocaleString("it-IT"), "num"), cell(s.importo, "num"))));
    const flussi = document.querySelector("#flussi tbody");
    if (p.flussi_recenti.length === 0) flussi.appendChild(row(cell("Nessun flusso"), cell(""), cell(""), cell("")));
    p.flussi_recenti.forEach((f) => flussi.appendChild(row(cell(f.nome), cell(f.stato), cell(String(f.righe), "num"), cell(String(f.righe_scartate), "num"))));
  } catch (e) {
    const el = document.getElementById("errore");
    el.textContent = (e && e.messaggio) || String(e);
    el.hidden = false;
  }
}

window.addEventListener("DOMContentLoaded", load);
