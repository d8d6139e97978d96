-- the column is counted in characters, not bytes
CREATE TABLE café (prénom text, nom text,);
