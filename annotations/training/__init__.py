"""Off the run-time path: regenerate the shipped NER and Punkt data and score the models; the app never imports this."""
